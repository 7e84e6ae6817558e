module.exports = {
  displayName: 'customer-contracts',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
