module.exports = {
  displayName: 'pii',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
