/**
 * The import directions of the architecture (DEVELOPERS.md, "Small rooms"), checked by
 * `npm run lint:arch` as part of `npm test`, so they cannot drift silently:
 * tasks/ -> the runtime's public API; generated/ -> tasks/ (types) + the runtime; the runtime
 * (src/) never imports codegen/, cli/, tasks/ or generated/; only the PostgreSQL store imports the
 * pgtyped query code.
 */
module.exports = {
  forbidden: [
    {
      name: "runtime-imports-no-tooling",
      comment: "src/ is the runtime: it never imports the code generator, the CLI, tasks or generated code",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(codegen|cli|tasks|generated)/|^backie\\.worker\\.ts$" },
    },
    {
      name: "tasks-use-the-public-api",
      comment: "a task file imports the runtime through its public API (src/index.ts), never its insides or the tooling",
      severity: "error",
      from: { path: "^tasks/" },
      to: { path: "^(src/(?!index\\.ts$)|codegen/|cli/|generated/)" },
    },
    {
      name: "generated-uses-tasks-and-the-runtime",
      comment: "generated code imports task files, backie.worker.ts and the runtime's public API only",
      severity: "error",
      from: { path: "^generated/" },
      to: { path: "^(src/(?!index\\.ts$)|codegen/|cli/)" },
    },
    {
      name: "only-the-store-runs-queries",
      comment: "the pgtyped query modules are imported by the PostgreSQL store alone (PgTaskStore and its schedule, admin, step and migration stores; and by their own tests)",
      severity: "error",
      from: { path: "^(src|cli|codegen|generated|tasks|bench|examples|scripts)/", pathNot: "^src/db/(pg(Task|Schedule|Admin|Step|Migration)Store|taskRows)\\.ts$" },
      to: { path: "^src/db/queries/" },
    },
    {
      name: "the-store-rows-use-query-types-only",
      comment: "the task store's row builders read the queries' row and parameter types; they run no query",
      severity: "error",
      from: { path: "^src/db/taskRows\\.ts$" },
      to: { path: "^src/db/queries/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "codegen-does-not-import-the-cli",
      severity: "error",
      from: { path: "^codegen/" },
      to: { path: "^cli/" },
    },
    {
      name: "no-cycles-in-the-runtime",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/", circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|test/fixtures)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
