/*
 * Builds the plugin's frontend into the repository's dist/ folder (Grafana's plugin layout: module.js next to
 * plugin.json). The backend build runs after this one and adds lib/*.jar, jre/ and the gpx_cql_<os>_<arch>
 * launchers to the same folder, so the clean step must never delete those.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'fs';
import path from 'path';
import ReplaceInFileWebpackPlugin from 'replace-in-file-webpack-plugin';
import TerserPlugin from 'terser-webpack-plugin';
import webpack, { type Configuration } from 'webpack';
import VirtualModulesPlugin from 'webpack-virtual-modules';

import { externals } from './externals';

const FRONTEND_DIR = path.resolve(__dirname, '..', '..');
const SOURCE_DIR = path.join(FRONTEND_DIR, 'src');
const REPO_DIR = path.resolve(FRONTEND_DIR, '..');

/** What the backend build puts into dist/; a frontend rebuild keeps it. */
export const KEEP_IN_DIST = /^(gpx_cql_[^/\\]*|lib([/\\].*)?|jre([/\\].*)?)$/;

type Env = Record<string, string | boolean | undefined>;

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const config = (env: Env = {}): Configuration => {
  const production = Boolean(env.production);
  const pluginJson = readJson(path.join(SOURCE_DIR, 'plugin.json'));
  const version: string = readJson(path.join(FRONTEND_DIR, 'package.json')).version;
  const distDir = typeof env.dist === 'string' ? path.resolve(env.dist) : path.join(REPO_DIR, 'dist');
  const logos = Array.from(new Set([pluginJson.info?.logos?.small, pluginJson.info?.logos?.large])).filter(Boolean);
  // the pictures Grafana's plugin page and catalog show (made by the browser check, see browser-check/run.mjs)
  const screenshots: string[] = (pluginJson.info?.screenshots ?? []).map((s: { path: string }) => s.path);

  // Grafana serves the plugin from public/plugins/<id>/; chunks must be fetched relative to module.js, which
  // Grafana's AMD loader passes in as the "module" dependency.
  const publicPath = new VirtualModulesPlugin({
    'node_modules/grafana-public-path.js': `
import amdMetaModule from 'amd-module';
__webpack_public_path__ =
  amdMetaModule && amdMetaModule.uri
    ? amdMetaModule.uri.slice(0, amdMetaModule.uri.lastIndexOf('/') + 1)
    : 'public/plugins/${pluginJson.id}/';
`,
  });

  return {
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(FRONTEND_DIR, 'node_modules', '.cache', 'webpack'),
      buildDependencies: { config: [__filename, path.join(__dirname, 'externals.ts')] },
      // the version is baked into the banner; a new version must not reuse an old build
      version: version,
    },
    context: SOURCE_DIR,
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: { module: path.join(SOURCE_DIR, 'module.ts') },
    externals,
    mode: production ? 'production' : 'development',
    module: {
      rules: [
        {
          // must come first, otherwise source maps break
          test: /src[/\\]module\.tsx?$/,
          use: [{ loader: 'imports-loader', options: { imports: 'side-effects grafana-public-path' } }],
        },
        {
          exclude: /node_modules/,
          test: /\.[tj]sx?$/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                baseUrl: SOURCE_DIR,
                target: 'es2015',
                parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        {
          test: /\.(png|jpe?g|gif|svg)$/,
          type: 'asset/resource',
          generator: { filename: production ? '[hash][ext]' : '[file]' },
        },
      ],
    },
    optimization: {
      minimize: production,
      minimizer: [new TerserPlugin({ terserOptions: { compress: { drop_console: ['log', 'info'] } } })],
    },
    output: {
      clean: { keep: (asset: string) => KEEP_IN_DIST.test(asset) },
      filename: '[name].js',
      chunkFilename: production ? '[name].js?_cache=[contenthash]' : '[name].js',
      library: { type: 'amd' },
      path: distDir,
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
    },
    plugins: [
      publicPath,
      new webpack.BannerPlugin({ banner: `/* ${pluginJson.id}@${version} */`, raw: true, entryOnly: true }),
      new CopyWebpackPlugin({
        patterns: [
          // The repository README is the user's manual; Grafana shows it on the plugin's page.
          { from: path.join(REPO_DIR, 'README.md'), to: '.' },
          { from: path.join(FRONTEND_DIR, 'CHANGELOG.md'), to: '.' },
          { from: path.join(FRONTEND_DIR, 'LICENSE'), to: '.' },
          { from: 'plugin.json', to: '.' },
          ...logos.map((logo: string) => ({ from: logo, to: logo })),
          ...screenshots.map((shot) => ({ from: shot, to: shot })),
        ],
      }),
      new ReplaceInFileWebpackPlugin([
        {
          dir: distDir,
          test: [/(^|[/\\])plugin\.json$/, /(^|[/\\])README\.md$/],
          rules: [
            { search: /%VERSION%/g, replace: version },
            { search: /%TODAY%/g, replace: new Date().toISOString().substring(0, 10) },
            { search: /%PLUGIN_ID%/g, replace: pluginJson.id },
          ],
        },
      ]),
    ],
    resolve: {
      extensions: ['.js', '.jsx', '.ts', '.tsx'],
      modules: [SOURCE_DIR, 'node_modules'],
      unsafeCache: true,
    },
  };
};

export default config;
