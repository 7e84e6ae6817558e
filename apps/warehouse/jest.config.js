module.exports = {
  displayName: 'warehouse',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
