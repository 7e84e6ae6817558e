module.exports = {
  displayName: 'quality-contracts',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
