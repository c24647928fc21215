import { readText } from '../io/files';

/** Where a command's output goes; main() binds these to the process, tests to buffers. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readText(0, '<stdin>'),
};
