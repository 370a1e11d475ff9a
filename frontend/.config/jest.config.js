/*
 * Jest for the plugin's editors and data source (jsdom). Grafana's packages ship some ES-module-only
 * dependencies, which must be transformed too.
 */
const path = require('path');

// Nested Grafana dependencies that publish only ES modules.
const esModules = [
  '@grafana/schema',
  '@wojtekmaj/date-utils',
  'd3',
  'd3-color',
  'd3-force',
  'd3-interpolate',
  'd3-scale-chromatic',
  'get-user-locale',
  'marked',
  'memoize',
  'mimic-function',
  'ol',
  'react-calendar',
  'react-colorful',
  'rxjs',
  'uuid',
];

const swc = [
  '@swc/jest',
  {
    sourceMaps: 'inline',
    jsc: { parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true } },
  },
];

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  moduleNameMapper: {
    '\\.(css|scss|sass)$': 'identity-obj-proxy',
    'react-inlinesvg': path.resolve(__dirname, 'jest', 'mocks', 'react-inlinesvg.tsx'),
  },
  modulePaths: ['<rootDir>/src'],
  setupFilesAfterEnv: ['<rootDir>/jest-setup.js'],
  testEnvironment: 'jest-environment-jsdom',
  // A bound for a hung test, not for slow work: every step waits for what it checks, and on the shared 2-core
  // machine (load 30+, one core split among ~15 processes) an editor test that needs 2 s of CPU takes a minute.
  testTimeout: 180000,
  testMatch: ['<rootDir>/src/**/*.{test,spec}.{js,jsx,ts,tsx}'],
  transform: {
    '^.+\\.(t|j)sx?$': swc,
    // d3-color 3.1.1 (through @grafana/data) ships an .mjs main file
    '^.+\\.mjs$': swc,
  },
  transformIgnorePatterns: [`node_modules/(?!.*(${esModules.join('|')})/.*)`],
  watchPathIgnorePatterns: ['<rootDir>/node_modules', '<rootDir>/../dist'],
};
