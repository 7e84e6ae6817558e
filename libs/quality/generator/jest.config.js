module.exports = {
  displayName: 'quality-generator',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
