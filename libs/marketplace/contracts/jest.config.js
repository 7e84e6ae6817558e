module.exports = {
  displayName: 'marketplace-contracts',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
