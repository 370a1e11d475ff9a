// Timestamps in tests are read as UTC whatever the machine's zone is.
process.env.TZ = 'UTC';

module.exports = {
  ...require('./.config/jest.config'),
};
