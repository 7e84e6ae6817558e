module.exports = {
  displayName: 'customer-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
