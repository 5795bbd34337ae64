// The TUI benchmark's calibration program, run in a tmux pane: connects to 127.0.0.1:<port> and
// writes whatever arrives straight to its terminal. The bench times a marker from the moment it
// sends it to the moment the tap sees it on the terminal: the cost of the measuring chain itself
// (socket, pty, tmux, pipe-pane, FIFO, event loop) with no renderer in between, which bounds the
// error of every "visible at" time the bench reports.
import net from 'node:net';

const socket = net.connect(Number(process.argv[2]), '127.0.0.1');
socket.setNoDelay(true);
socket.on('data', (chunk) => process.stdout.write(chunk));
socket.on('close', () => process.exit(0));
process.stdout.write('echo ready\n');
