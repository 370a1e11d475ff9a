/*
 * Bundles the browser-check harness with everything Grafana would otherwise provide (React, @grafana/ui and the
 * Monaco editor with its worker and fonts), so the page works offline. Grafana's icons and fonts are copied to
 * the paths Grafana serves them from (public/build/img/icons/, public/fonts/), where @grafana/ui looks for them:
 * without them every Switch, Select chevron, chip and info icon renders empty.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

const FRONTEND_DIR = path.resolve(__dirname, '..');
const MODULES = path.join(FRONTEND_DIR, 'node_modules');

/** Grafana's own font files (public/fonts/) by the names @grafana/ui's GlobalStyles asks for, from @fontsource. */
const FONTS: Array<[string, string]> = [
  ['@fontsource/inter/files/inter-latin-400-normal.woff2', 'inter/Inter-Regular.woff2'],
  ['@fontsource/inter/files/inter-latin-500-normal.woff2', 'inter/Inter-Medium.woff2'],
  ['@fontsource/inter/files/inter-latin-400-italic.woff2', 'inter/Inter-Italic.woff2'],
  ['@fontsource/inter/files/inter-latin-500-italic.woff2', 'inter/Inter-MediumItalic.woff2'],
  [
    '@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2',
    'roboto/L0xTDF4xlVMF-BfR8bXMIhJHg45mwgGEFl0_3vrtSM1J-gEPT5Ese6hmHSh0mQ.woff2',
  ],
];
export const HARNESS_OUT = path.join(FRONTEND_DIR, 'target', 'browser-check');

const config: Configuration = {
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { harness: path.join(__dirname, 'harness.tsx') },
  cache: {
    type: 'filesystem',
    cacheDirectory: path.join(FRONTEND_DIR, 'node_modules', '.cache', 'webpack-browser-check'),
    buildDependencies: { config: [__filename] },
  },
  output: { path: HARNESS_OUT, filename: '[name].js', publicPath: '', clean: true },
  module: {
    rules: [
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true, dynamicImport: true } },
          },
        },
      },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(ttf|woff2?|svg|png)$/, type: 'asset/resource' },
    ],
  },
  resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
  performance: { hints: false },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: path.join(__dirname, 'index.html'), to: '.' },
        { from: path.join(FRONTEND_DIR, 'src', 'img'), to: 'img' },
        { from: path.join(MODULES, '@grafana', 'ui', 'dist', 'public', 'img', 'icons'), to: 'public/build/img/icons' },
        // Grafana serves a spinner icon (loading Selects) that @grafana/ui's package does not carry: our own stand-in
        { from: path.join(__dirname, 'icons', 'spinner.svg'), to: 'public/build/img/icons/unicons/spinner.svg' },
        ...FONTS.map(([from, to]) => ({ from: path.join(MODULES, from), to: `public/fonts/${to}` })),
      ],
    }),
  ],
};

export default config;
