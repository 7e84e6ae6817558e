module.exports = {
  displayName: 'fulfillment',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
