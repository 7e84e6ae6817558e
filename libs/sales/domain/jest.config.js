module.exports = {
  displayName: 'sales-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
