#!/usr/bin/python3
"""A Python client of the example kext's typed API, through kextbridged.

Stock grpcio and protobuf only (Debian: python3-grpcio, python3-protobuf);
the modules in gen/ come from ./generate.sh. Run it as any user: what it
may do is decided by the daemon from the uid the kernel reports.

examples:
  kextbridge_example.py echo hello
  kextbridge_example.py watch-exec --count 10
  kextbridge_example.py serve-authorize --deny-prefix /tmp/

Exit status (as the kextbridge CLI): 0 ok, 1 refused, 2 bad command line,
3 daemon or kext unavailable, 4 permission denied, 5 not found,
6 invalid or out of range.
"""
import argparse
import os
import queue
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "gen"))

try:
    import grpc
    from example.v1 import example_pb2, example_pb2_grpc
except ImportError as err:  # say what to do, not a traceback
    sys.exit("kextbridge_example: %s; install python3-grpcio and python3-protobuf and run %s/generate.sh" % (err, HERE))

DEFAULT_SOCKET = "/var/run/kextbridge/kextbridge.sock" if sys.platform == "darwin" else "/run/kextbridge/kextbridge.sock"
EXIT_CODES = {
    grpc.StatusCode.UNAVAILABLE: 3,
    grpc.StatusCode.PERMISSION_DENIED: 4,
    grpc.StatusCode.NOT_FOUND: 5,
    grpc.StatusCode.INVALID_ARGUMENT: 6,
    grpc.StatusCode.OUT_OF_RANGE: 6,
}
LOSS_SOURCES = {1: "the kext could not queue them", 2: "no longer in the daemon's ring",
                3: "this watch fell behind", 4: "the kext link was down"}


def say(line):
    print(line, flush=True)


def echo(stub, args):
    reply = stub.Echo(example_pb2.EchoRequest(data=args.text.encode()), timeout=args.timeout)
    say(reply.data.decode(errors="replace"))


def watch_exec(stub, args):
    # A typed watch takes the generic Subscribe's knobs as metadata.
    metadata = [("kextbridge-overflow", args.policy)]
    if args.since:
        metadata.append(("kextbridge-since-seq", str(args.since)))
    call = stub.WatchExec(example_pb2.WatchRequest(), metadata=metadata)
    seen = 0
    try:
        for event in call:
            if event.HasField("lost"):
                lost = event.lost
                say("LOST %d events, seq %d..%d: %s" % (lost.count, lost.first_seq, lost.last_seq,
                                                        LOSS_SOURCES.get(lost.source, "unknown source")))
                continue
            say("exec pid=%d ppid=%d uid=%d path=%s" % (event.pid, event.ppid, event.uid, event.path))
            seen += 1
            if args.count and seen >= args.count:
                break
    finally:
        call.cancel()


def serve_authorize(stub, args):
    # Answers go back in the order the questions came (the typed API's
    # rule): a queue feeds the request stream as each answer is decided.
    answers = queue.Queue()

    def answer_stream():
        while True:
            verdict = answers.get()
            if verdict is None:
                return
            yield verdict

    call = stub.ServeAuthorizeExec(answer_stream())
    asked = 0
    try:
        for question in call:
            allow = not (args.deny_prefix and question.path.startswith(args.deny_prefix))
            answers.put(example_pb2.ExecVerdict(allow=allow))
            say("asked pid=%d uid=%d path=%s -> %s" % (question.pid, question.uid, question.path,
                                                      "allow" if allow else "deny"))
            asked += 1
            if args.count and asked >= args.count:
                # Ending our side (not cancelling) lets the last answer go
                # out first; the daemon then ends the call.
                answers.put(None)
                for _ in call:
                    pass
                return
    except BaseException:
        answers.put(None)
        call.cancel()
        raise


def parser():
    p = argparse.ArgumentParser(prog="kextbridge_example.py", description=__doc__.split("\n\n")[0],
                                epilog=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--socket", default=os.environ.get("KEXTBRIDGE_SOCKET", DEFAULT_SOCKET),
                   help="daemon socket (default: $KEXTBRIDGE_SOCKET, else %s)" % DEFAULT_SOCKET)
    p.add_argument("--timeout", type=float, default=10.0, help="deadline of unary calls, seconds (default 10)")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("echo", help="send text to the kext's echo command and print the reply",
                       epilog="example: kextbridge_example.py echo hello")
    e.add_argument("text")
    e.set_defaults(run=echo)
    w = sub.add_parser("watch-exec", help="print process executions as the kext reports them (Ctrl-C stops)",
                       epilog="example: kextbridge_example.py watch-exec --count 5 --policy drop-newest")
    w.add_argument("--count", type=int, default=0, help="stop after this many events")
    w.add_argument("--since", type=int, default=0, help="resume from this seq")
    w.add_argument("--policy", choices=["drop-oldest", "drop-newest", "disconnect"], default="drop-oldest",
                   help="what happens when this watch falls behind")
    w.set_defaults(run=watch_exec)
    s = sub.add_parser("serve-authorize", help="answer the kext's authorize_exec questions (Ctrl-C stops)",
                       epilog="example: kextbridge_example.py serve-authorize --deny-prefix /tmp/")
    s.add_argument("--deny-prefix", default="", help="deny executables whose path starts with this; allow the rest")
    s.add_argument("--count", type=int, default=0, help="stop after answering this many")
    s.set_defaults(run=serve_authorize)
    return p


def main(argv):
    args = parser().parse_args(argv)
    with grpc.insecure_channel("unix:" + args.socket) as channel:
        stub = example_pb2_grpc.ExampleStub(channel)
        try:
            args.run(stub, args)
        except grpc.RpcError as err:
            sys.stderr.write("kextbridge_example: %s: %s\n" % (err.code().name, err.details()))
            return EXIT_CODES.get(err.code(), 1)
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
