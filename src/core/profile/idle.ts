/**
 * Frames where a thread waits instead of working. py-spy drops idle samples unless `--idle` is given, but
 * its idle test (the OS thread state) is not in the output, so files recorded with `--idle`, and traces
 * from other tools, need the leaf frame to tell: the standard library's blocking calls.
 */
const IDLE_FUNCTIONS = new Set([
  'wait', 'wait_for', '_wait_for_tstate_lock', 'select', 'poll', 'epoll', 'kqueue', 'control', 'accept', 'recv', 'recv_into',
  'recvfrom', 'read', 'readinto', 'readline', 'sleep', 'get', 'join', 'acquire', 'serve_forever', '_run_once', 'run_forever',
  'sock_recv', 'communicate', '_communicate', '_try_wait', 'waitpid', 'getaddrinfo', 'connect',
]);
const IDLE_FILES = /(^|\/)(threading|selectors|socket|socketserver|queue|subprocess|ssl|asyncio\/[a-z_]+|multiprocessing\/[a-z_]+|concurrent\/futures\/[a-z_]+)\.py$/;

export function isIdleFrame(frame: { name: string; file: string }): boolean {
  const short = frame.name.slice(frame.name.lastIndexOf('.') + 1);
  if (frame.file === '' || !/\.py$/.test(frame.file)) return /^(time\.)?sleep$|^(select|poll|epoll_wait|futex|pthread_cond_wait|nanosleep|clock_nanosleep)$/.test(frame.name);
  return IDLE_FUNCTIONS.has(short) && IDLE_FILES.test(frame.file.replace(/\\/g, '/'));
}
