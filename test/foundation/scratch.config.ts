import {defineConfig} from 'vitest/config'
export default defineConfig({test: {include: ['test/foundation/**/*.test.ts'], testTimeout: 60000}})
