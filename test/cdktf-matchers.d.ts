// cdktf's jest matcher types (registered at runtime by test/setup-jest.ts).
import 'cdktf/lib/testing/adapters/jest.js';
