/*
 * Bundles the browser-check harness with everything Grafana would otherwise provide (React, @grafana/ui and the
 * Monaco editor with its worker and fonts), so the page works offline.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

const FRONTEND_DIR = path.resolve(__dirname, '..');
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
  plugins: [new CopyWebpackPlugin({ patterns: [{ from: path.join(__dirname, 'index.html'), to: '.' }] })],
};

export default config;
