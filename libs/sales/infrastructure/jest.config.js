module.exports = {
  displayName: 'sales-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
