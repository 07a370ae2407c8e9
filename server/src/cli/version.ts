/** The version the CLI and SARIF output report. */
export const VERSION = '0.1.0';
