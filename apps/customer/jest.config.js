module.exports = {
  displayName: 'customer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
