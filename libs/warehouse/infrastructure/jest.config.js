module.exports = {
  displayName: 'warehouse-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
