// @ts-check
/**
 * Runs scripts/supervise.mjs in a process of its own, so a test can signal the supervisor as an
 * operator would signal `npm start`. Usage: node superviseProcess.mjs '<SuperviseOptions as JSON>'
 * (without `cwd`, which is this process's own); exits with what supervise() resolved.
 */
import { supervise } from '../../scripts/supervise.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
process.exitCode = await supervise({ ...options, cwd: process.cwd() });
