"""The kv kext through kextbridged, from Python with stock grpcio.

What a kext author's CI runs: kextbridge-dev starts kextsim with the kext
and the daemon serving its .proto, and runs this with KEXTBRIDGE_SOCKET and
KEXTBRIDGE_PROTO set:

    scripts/kextbridge-dev --kext kv -- python3 -m unittest discover -s test/examples/kv

The stubs are generated from the same .proto with protoc's grpc plugin.
"""
import os
import queue
import subprocess
import sys
import tempfile
import threading
import unittest

import grpc

PROTO = os.environ["KEXTBRIDGE_PROTO"]
SOCKET = os.environ["KEXTBRIDGE_SOCKET"]
PROTO_ROOT = os.path.abspath(os.path.join(os.path.dirname(PROTO), "..", ".."))

_gen = tempfile.mkdtemp(prefix="kv-py-")
subprocess.run(
    ["protoc", "-I", PROTO_ROOT, "-I", "/usr/include", "--python_out", _gen, "--grpc_out", _gen,
     "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
     os.path.relpath(PROTO, PROTO_ROOT), "kextbridge/v1/options.proto", "kextbridge/v1/loss.proto"],
    check=True)
sys.path.insert(0, _gen)
from kv.v1 import kv_pb2, kv_pb2_grpc  # noqa: E402


class KvTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = grpc.insecure_channel("unix://" + SOCKET)
        cls.kv = kv_pb2_grpc.KvStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()

    def test_put_get_delete(self):
        created = self.kv.Put(kv_pb2.PutRequest(key="py-a", value=b"one"), timeout=5)
        self.assertTrue(created.created)
        self.assertFalse(self.kv.Put(kv_pb2.PutRequest(key="py-a", value=b"two"), timeout=5).created)
        self.assertEqual(self.kv.Get(kv_pb2.GetRequest(key="py-a"), timeout=5).value, b"two")
        self.assertTrue(self.kv.Delete(kv_pb2.DeleteRequest(key="py-a"), timeout=5).deleted)
        with self.assertRaises(grpc.RpcError) as e:
            self.kv.Get(kv_pb2.GetRequest(key="py-a"), timeout=5)
        self.assertEqual(e.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_bounds_are_checked_before_the_kernel(self):
        with self.assertRaises(grpc.RpcError) as e:
            self.kv.Put(kv_pb2.PutRequest(key="k" * 65, value=b""), timeout=5)
        self.assertEqual(e.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("PutRequest.key is longer than 64 bytes", e.exception.details())

    def test_watch_sees_a_put(self):
        stream = self.kv.WatchChanges(kv_pb2.WatchRequest(), timeout=10)
        first = []
        reader = threading.Thread(target=lambda: first.append(next(stream)))
        reader.start()
        # The watch is live once the daemon has subscribed: put until it sees one.
        for _ in range(50):
            self.kv.Put(kv_pb2.PutRequest(key="py-watch", value=b"x"), timeout=5)
            reader.join(0.1)
            if first:
                break
        stream.cancel()
        self.assertTrue(first, "no change seen")
        self.assertEqual(first[0].kind, kv_pb2.CHANGE_KIND_PUT)
        self.assertEqual(first[0].key, "py-watch")

    def test_a_handler_can_refuse_a_delete(self):
        self.kv.Put(kv_pb2.PutRequest(key="py-keep", value=b"v"), timeout=5)
        questions = []
        answers = queue.Queue()
        serve = self.kv.ServeApproveDelete(iter(answers.get, None))

        def answer():
            try:
                for q in serve:
                    questions.append(q.key)
                    answers.put(kv_pb2.DeleteVerdict(allow=False))
            except grpc.RpcError:
                pass  # cancelled at the end of the test

        threading.Thread(target=answer, daemon=True).start()
        try:
            for _ in range(50):
                try:
                    self.kv.Delete(kv_pb2.DeleteRequest(key="py-keep"), timeout=5)
                except grpc.RpcError as e:
                    self.assertEqual(e.code(), grpc.StatusCode.PERMISSION_DENIED)
                    break
                # Deleted before the handler was registered: put it back, try again.
                self.kv.Put(kv_pb2.PutRequest(key="py-keep", value=b"v"), timeout=5)
            else:
                self.fail("the handler never refused")
            self.assertIn("py-keep", questions)
            self.assertEqual(self.kv.Get(kv_pb2.GetRequest(key="py-keep"), timeout=5).value, b"v")
        finally:
            answers.put(None)
            serve.cancel()


if __name__ == "__main__":
    unittest.main()
