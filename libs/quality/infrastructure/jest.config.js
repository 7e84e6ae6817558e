module.exports = {
  displayName: 'quality-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
