module.exports = {
  displayName: 'marketplace',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
