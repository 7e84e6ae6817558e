module.exports = {
  displayName: 'fulfillment-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
