module.exports = {
  displayName: 'quality-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
