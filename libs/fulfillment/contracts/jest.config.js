module.exports = {
  displayName: 'fulfillment-contracts',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
