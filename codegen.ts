// Client types from the committed schema.graphql (no server needed). `npm run codegen` writes
// client/src/__generated__; `npm run codegen:check` (part of `npm run check`) fails when they are stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['client/src/**/*.{ts,tsx}', '!client/src/__generated__/**', '!client/src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: false,
  generates: {
    'client/src/__generated__/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTimeISO: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        nonOptionalTypename: true, // Apollo adds __typename to every selection; the cache writes we build need it too
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;
