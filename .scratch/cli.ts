import { main } from '../src/cli.ts';
main(process.argv).then((code) => { process.exitCode = code; });
