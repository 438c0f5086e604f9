/** A stand-in for runMake that fails with its process's node flags, so tests can see them. */
export default async function argvMake(): Promise<never> {
  throw new Error(`flags ${JSON.stringify(process.execArgv)}`);
}
