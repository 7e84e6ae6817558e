module.exports = {
  displayName: 'fulfillment-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
