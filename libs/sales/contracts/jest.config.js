module.exports = {
  displayName: 'sales-contracts',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
