#!/usr/bin/python3
"""Python's stock stubs (Debian's grpcio and protobuf, modules from protoc
and grpc_python_plugin) against the daemon, run by interop/python.test.ts as
a plain user.

  stub_client.py GEN SOCKET suite        one JSON line per check
  stub_client.py GEN SOCKET serve-typed N   answer N authorize_exec upcalls
  stub_client.py GEN SOCKET serve-bridge N  the same through Bridge.Serve

suite: typed Echo, a heartbeat stream read then cancelled, a privileged
topic denied, and the codes of an unknown method, a bad argument and a
deadline. The handlers allow every path but /tmp/*.
"""
import json
import queue
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
from example.v1 import example_pb2, example_pb2_grpc  # noqa: E402
from kextbridge.v1 import bridge_pb2, bridge_pb2_grpc  # noqa: E402


def say(key, value):
    print(json.dumps({key: value}), flush=True)


def code(fn):
    try:
        fn()
        return "OK"
    except grpc.RpcError as err:
        return err.code().name


def allows(path):
    return not path.startswith("/tmp/")


def suite(channel):
    example = example_pb2_grpc.ExampleStub(channel)
    echo = example.Echo(example_pb2.EchoRequest(data=b"typed"), timeout=10)
    beats = example.WatchHeartbeat(example_pb2.WatchRequest(), timeout=20)
    next(beats)
    beats.cancel()
    cancelled = code(lambda: next(beats))
    denied = code(lambda: next(example.WatchExec(example_pb2.WatchRequest(), timeout=10)))
    say("typed", {"echo": echo.data.decode(), "cancelled": cancelled, "denied": denied})
    unknown = code(lambda: channel.unary_unary("/kextbridge.v1.Bridge/NoSuchMethod")(b"", timeout=10))
    bridge = bridge_pb2_grpc.BridgeStub(channel)
    bad = code(lambda: bridge.Call(bridge_pb2.CallRequest(), timeout=10))
    # Two heartbeats (one a second) cannot both come within half a second;
    # a microsecond deadline on a unary call is checked too coarsely by
    # grpcio to fail every time.
    def two_beats_fast():
        beats = example.WatchHeartbeat(example_pb2.WatchRequest(), timeout=0.5)
        next(beats)
        next(beats)

    late = code(two_beats_fast)
    say("errors", {"unknownMethod": unknown, "badArgument": bad, "deadline": late})


def serve(count, stream_of, answer_for):
    """Runs one upcall stream: answers go out through a queue the request
    iterator drains, each written after the question it answers is read."""
    answers = queue.Queue()
    first = stream_of.first

    def requests():
        if first is not None:
            yield first
        while True:
            item = answers.get()
            if item is None:
                return
            yield item

    responses = stream_of.call(requests(), timeout=30)
    asked = 0
    for question in responses:
        answers.put(answer_for(question))
        asked += 1
        if asked >= count:
            # Half-close after the last answer is written; the daemon then
            # ends the stream, so the answer is never cut off by a cancel.
            answers.put(None)
            break
    for _ in responses:
        pass


class Stream:
    def __init__(self, call, first=None):
        self.call = call
        self.first = first


def serve_typed(channel, count):
    example = example_pb2_grpc.ExampleStub(channel)

    def verdict(q):
        say("asked", q.path)
        return example_pb2.ExecVerdict(allow=allows(q.path))

    serve(count, Stream(example.ServeAuthorizeExec), verdict)


def serve_bridge(channel, count):
    bridge = bridge_pb2_grpc.BridgeStub(channel)
    register = bridge_pb2.ServeRequest(register=bridge_pb2.ServeRegister(upcall=bridge_pb2.Target(name="authorize_exec")))

    def answer(q):
        question = example_pb2.ExecAuthorization.FromString(q.payload)
        say("asked", question.path)
        payload = example_pb2.ExecVerdict(allow=allows(question.path)).SerializeToString()
        return bridge_pb2.ServeRequest(answer=bridge_pb2.UpcallAnswer(id=q.id, status=0, payload=payload))

    serve(count, Stream(bridge.Serve, register), answer)


def main():
    _, _, socket, mode, *rest = sys.argv
    with grpc.insecure_channel("unix://" + socket) as channel:
        if mode == "suite":
            suite(channel)
        elif mode == "serve-typed":
            serve_typed(channel, int(rest[0]))
        elif mode == "serve-bridge":
            serve_bridge(channel, int(rest[0]))
        else:
            sys.exit("stub_client: unknown mode %s" % mode)


if __name__ == "__main__":
    main()
