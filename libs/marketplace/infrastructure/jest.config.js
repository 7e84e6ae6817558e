module.exports = {
  displayName: 'marketplace-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
