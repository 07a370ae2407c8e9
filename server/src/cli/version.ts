// The version the CLI and SARIF output report: package.json's, the one place it is written (the bundle keeps only
// this field; scripts/pack-cli.mjs gives the npm package the same version).
import { version } from '../../../package.json';

export const VERSION: string = version;
