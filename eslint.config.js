// Type-aware lint (typescript-eslint) for the code that ships and the code that tests it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/", ".doctest/", "node_modules/", "generated/", "src/db/queries/", "test/fixtures/", "bench/results/", "**/*.cjs", "**/*.mjs", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Floating promises are how a worker loses errors: every one must be awaited or `void`ed.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, properties: false } }],
      // Task handlers are async by convention (defineTask's run returns a promise), awaiting or not.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Tests poke at untyped rows and errors on purpose.
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "examples/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      // The adversarial tests throw what a careless task might: strings, Proxies, undefined.
      "@typescript-eslint/only-throw-error": "off",
    },
  },
);
