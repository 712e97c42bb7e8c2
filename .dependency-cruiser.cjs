// Import boundaries of src/, checked by `npm run lint` (dependency-cruiser). The layers, lowest first: a module may
// import from its own layer and from the layers before it, never from a later one. Keeping the arrows one-way is what
// lets a layer be read, tested and replaced without the ones above it (docs/ARCHITECTURE.md has the picture).
// `errors` comes first: it imports nothing of ours, and the generic helpers of `util` (sleep, abortable, jitter, hashes,
// the proof code, lenient zod fields) may raise its DriverError (ABORTED). `host`, the host contract, sits below
// `config`: it is generic over the config type and knows no driver's config (src/driver/host-contract.ts instantiates
// it with DriverConfig), while the config may use the contract's shapes (FormField); `persist` holds the config files
// on disk (atomic writes, the lock, OpenList storage rows); `conflict` is the one conflict policy the driver and the
// upload engine share.
// Type-only imports count: a type pulled from a higher layer couples the lower one to it just the same.
const LAYERS = [
  'errors',
  'util',
  'host', // the host-facing contract, generic over the config: Obj, Link, DriverHost, StorageDriver, UploadSource
  'config',
  'http',
  'auth',
  'api',
  'paths',
  'persist',
  'conflict',
  'upload',
  'driver',
  'server',
  'login',
  'cli',
  'testing', // the exported conformance suite (aliyundrive-open/testing): nothing shipped may load test code
]

/** The files of a layer: its folder, plus src/plugin.ts, the driver's descriptor, which sits beside the driver. */
const layerPath = (name) => (name === 'driver' ? '^src/(driver/|plugin\\.ts$)' : `^src/${name}/`)

const layerRules = LAYERS.slice(0, -1).map((name, i) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment: `src/${name} is below ${LAYERS.slice(i + 1).join(', ')} and must not import them.`,
  from: { path: layerPath(name) },
  to: { path: LAYERS.slice(i + 1).map(layerPath) },
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'Folders of src/ must not import each other in a circle: a cycle means neither can be understood alone.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not import each other in a circle (load order and readability).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'emulator-standalone',
      severity: 'error',
      comment:
        'The emulator stands in for AliyunDrive: if it shared the client code under test (hashing, proof codes, ' +
        'wire shapes), a bug there would be agreed on by both sides and no test would see it. util only.',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/(emulator|util)/' },
    },
    {
      name: 'emulator-only-from-cli',
      severity: 'error',
      comment: 'Only the CLI (its `emulator` command) may load the emulator; the driver never ships with it wired in.',
      from: { path: '^src/', pathNot: '^src/(cli|emulator)/' },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'testing-on-the-interface',
      severity: 'error',
      comment:
        "The conformance suite runs against any StorageDriver (a host's, another package's): it knows the driver " +
        "only through src/host, never this package's driver, server or CLI.",
      from: { path: '^src/testing/' },
      to: { path: '^src/(driver/|plugin\\.ts$|server/|cli/)' },
    },
    {
      name: 'server-core-below-front-ends',
      severity: 'error',
      comment:
        "The server's own modules (src/server/*.ts: context, auth, file service, errors, downloads) serve every front " +
        'end and import none: WebDAV and the OpenList API build on them, never the other way. start-server.ts is ' +
        'where the front ends are wired together, so it alone imports them.',
      from: { path: '^src/server/[^/]+\\.ts$', pathNot: '^src/server/start-server\\.ts$' },
      to: { path: '^src/server/(webdav|openlist)/' },
    },
    {
      name: 'no-entry-import',
      severity: 'error',
      comment: 'src/index.ts is the public entry; modules inside src/ import what they need directly.',
      from: { path: '^src/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'src/ is shipped: a devDependency is not installed for users.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
