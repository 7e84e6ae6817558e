module.exports = {
  displayName: 'marketplace-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
