module.exports = {
  displayName: 'quality-application',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
