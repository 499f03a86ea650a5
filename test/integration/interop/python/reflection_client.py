#!/usr/bin/python3
"""A descriptor-pool client built from server reflection alone.

Stock Debian grpcio and protobuf, no generated stubs of the daemon's API:
the reflection messages themselves come from a FileDescriptorSet of
grpc/reflection/v1/reflection.proto (made with protoc, path given as
--reflection-set), everything else from what the daemon answers. Prints one
JSON object per line: the services listed, the files describing Example,
an Echo and a Bridge.Describe built from those descriptors, and the health
of every listed service.
"""
import argparse
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def message_class(pool, full_name):
    desc = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


class Reflection:
    def __init__(self, channel, reflection_set):
        self.bootstrap = descriptor_pool.DescriptorPool()
        with open(reflection_set, "rb") as f:
            for file in descriptor_pb2.FileDescriptorSet.FromString(f.read()).file:
                self.bootstrap.Add(file)
        self.Request = message_class(self.bootstrap, "grpc.reflection.v1.ServerReflectionRequest")
        self.Response = message_class(self.bootstrap, "grpc.reflection.v1.ServerReflectionResponse")
        self.call = channel.stream_stream(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=self.Response.FromString,
        )
        self.pool = descriptor_pool.DescriptorPool()
        self.files = {}

    def ask(self, **request):
        responses = list(self.call(iter([self.Request(**request)]), timeout=10))
        response = responses[0]
        if response.HasField("error_response"):
            raise LookupError(f"{response.error_response.error_code}: {response.error_response.error_message}")
        return response

    def list_services(self):
        return [s.name for s in self.ask(list_services="*").list_services_response.service]

    def load_symbol(self, symbol):
        """Adds the file defining symbol, and its imports first, to the pool."""
        response = self.ask(file_containing_symbol=symbol)
        names = []
        for raw in response.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
            self.files.setdefault(proto.name, proto)
            names.append(proto.name)
        for name in names:
            self._add(name)
        return names

    def _add(self, name, seen=()):
        proto = self.files[name]
        if name in seen:
            return
        try:
            self.pool.FindFileByName(name)
            return
        except KeyError:
            pass
        for dep in proto.dependency:
            if dep not in self.files:
                for raw in self.ask(file_by_filename=dep).file_descriptor_response.file_descriptor_proto:
                    p = descriptor_pb2.FileDescriptorProto.FromString(raw)
                    self.files.setdefault(p.name, p)
            self._add(dep, seen + (name,))
        self.pool.Add(proto)

    def unary(self, channel, method_full_name, **fields):
        service_name, method_name = method_full_name.rsplit(".", 1)
        method = self.pool.FindServiceByName(service_name).FindMethodByName(method_name)
        Req = message_class(self.pool, method.input_type.full_name)
        Rep = message_class(self.pool, method.output_type.full_name)
        call = channel.unary_unary(
            f"/{service_name}/{method_name}",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=Rep.FromString,
        )
        return call(Req(**fields), timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--reflection-set", required=True)
    args = parser.parse_args()
    channel = grpc.insecure_channel(f"unix://{args.socket}")
    r = Reflection(channel, args.reflection_set)
    out = lambda obj: print(json.dumps(obj), flush=True)
    try:
        services = r.list_services()
        out({"services": services})
        out({"example_files": r.load_symbol("kextbridge.example.v1.Example")})
        echo = r.unary(channel, "kextbridge.example.v1.Example.Echo", data=b"from reflection")
        out({"echo": echo.data.decode()})
        r.load_symbol("kextbridge.v1.Bridge")
        described = r.unary(channel, "kextbridge.v1.Bridge.Describe")
        out({"describe": {"kext_identity": described.kext_identity, "commands": len(described.commands)}})
        r.load_symbol("grpc.health.v1.Health")
        health = {}
        for name in services:
            health[name] = r.unary(channel, "grpc.health.v1.Health.Check", service=name).status
        out({"health": health})
        fields = [f.name for f in r.pool.FindMessageTypeByName("kextbridge.v1.Status").fields]
        out({"status_fields": fields})
    except grpc.RpcError as e:
        print(f"reflection_client: {e.code().name}: {e.details()}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
