module.exports = {
  displayName: 'customer-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
