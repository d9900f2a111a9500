// Registered with --import: records every module URL the process resolves, one per line on fd 3.
import { register } from "node:module";
register(new URL("./recordModulesHooks.mjs", import.meta.url));
