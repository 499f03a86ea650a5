// A Go client on Debian's grpc-go (1.33) and protobuf, built in GOPATH mode
// offline, run by interop/go.test.ts as a plain user. Prints one JSON line
// per check: health, reflection (v1alpha: what grpc-go 1.33 ships) with an
// Echo and a Bridge.Describe built from reflection's descriptors alone
// (protodesc + dynamicpb), the typed Echo, a heartbeat stream read and
// cancelled, and the error codes of an unknown method, a bad argument and a
// deadline. `serve-typed N` and `serve-bridge N` answer N authorize_exec
// upcalls, through the typed Example.ServeAuthorizeExec and through the
// generic Bridge.Serve, allowing every path but /tmp/*.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	examplev1 "github.com/kextbridge/kextbridge/gen/go/example/v1"
	kextbridgev1 "github.com/kextbridge/kextbridge/gen/go/kextbridge/v1"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/runtime/protoimpl"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

func say(v map[string]interface{}) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "go-client: %v\n", err)
	os.Exit(3)
}

// filesFor asks reflection for the file defining symbol and its imports.
func filesFor(ctx context.Context, conn *grpc.ClientConn, symbol string, into map[string]*descriptorpb.FileDescriptorProto) error {
	stream, err := rpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return err
	}
	if err := stream.Send(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: symbol}}); err != nil {
		return err
	}
	resp, err := stream.Recv()
	if err != nil {
		return err
	}
	stream.CloseSend()
	fd := resp.GetFileDescriptorResponse()
	if fd == nil {
		return fmt.Errorf("no descriptors for %s: %v", symbol, resp.GetErrorResponse())
	}
	for _, raw := range fd.FileDescriptorProto {
		f := &descriptorpb.FileDescriptorProto{}
		if err := proto.Unmarshal(raw, f); err != nil {
			return err
		}
		into[f.GetName()] = f
	}
	return nil
}

func listServices(ctx context.Context, conn *grpc.ClientConn) ([]string, error) {
	stream, err := rpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: "*"}}); err != nil {
		return nil, err
	}
	resp, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	stream.CloseSend()
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.Name)
	}
	return names, nil
}

// dynamicUnary calls service/method with messages built from files alone.
func dynamicUnary(ctx context.Context, conn *grpc.ClientConn, files *protoregistry.Files, service, method string, set func(protoreflect.Message)) (protoreflect.Message, error) {
	d, err := files.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return nil, err
	}
	m := d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method))
	req := dynamicpb.NewMessage(m.Input())
	set(req)
	rep := dynamicpb.NewMessage(m.Output())
	err = conn.Invoke(ctx, "/"+service+"/"+method, protoimpl.X.ProtoMessageV1Of(req), protoimpl.X.ProtoMessageV1Of(rep))
	return rep, err
}

// The verdict every handler here gives: allow all but /tmp/*.
func allows(path string) bool { return !strings.HasPrefix(path, "/tmp/") }

// serveTyped answers count questions on the typed upcall method: each
// ExecVerdict written answers the oldest ExecAuthorization read.
func serveTyped(ctx context.Context, conn *grpc.ClientConn, count int) {
	stream, err := examplev1.NewExampleClient(conn).ServeAuthorizeExec(ctx)
	if err != nil {
		fail(err)
	}
	for asked := 0; asked < count; asked++ {
		q, err := stream.Recv()
		if err != nil {
			fail(err)
		}
		if err := stream.Send(&examplev1.ExecVerdict{Allow: allows(q.Path)}); err != nil {
			fail(err)
		}
		say(map[string]interface{}{"asked": q.Path, "allow": allows(q.Path)})
	}
	stream.CloseSend()
	stream.Recv()
}

// serveBridge answers the same through Bridge.Serve: register by name,
// then each question's payload is an ExecAuthorization and each answer's
// an ExecVerdict, coded with the example's own Go types.
func serveBridge(ctx context.Context, conn *grpc.ClientConn, count int) {
	stream, err := kextbridgev1.NewBridgeClient(conn).Serve(ctx)
	if err != nil {
		fail(err)
	}
	register := &kextbridgev1.ServeRequest{Msg: &kextbridgev1.ServeRequest_Register{Register: &kextbridgev1.ServeRegister{Upcall: &kextbridgev1.Target{By: &kextbridgev1.Target_Name{Name: "authorize_exec"}}}}}
	if err := stream.Send(register); err != nil {
		fail(err)
	}
	for asked := 0; asked < count; asked++ {
		q, err := stream.Recv()
		if err != nil {
			fail(err)
		}
		question := &examplev1.ExecAuthorization{}
		if err := proto.Unmarshal(q.Payload, question); err != nil {
			fail(err)
		}
		verdict, _ := proto.Marshal(&examplev1.ExecVerdict{Allow: allows(question.Path)})
		answer := &kextbridgev1.ServeRequest{Msg: &kextbridgev1.ServeRequest_Answer{Answer: &kextbridgev1.UpcallAnswer{Id: q.Id, Status: 0, Payload: verdict}}}
		if err := stream.Send(answer); err != nil {
			fail(err)
		}
		say(map[string]interface{}{"asked": question.Path, "allow": allows(question.Path)})
	}
	stream.CloseSend()
	stream.Recv()
}

func main() {
	socket := os.Args[1]
	conn, err := grpc.Dial("unix://"+socket, grpc.WithInsecure())
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if len(os.Args) > 3 {
		count, _ := strconv.Atoi(os.Args[3])
		if os.Args[2] == "serve-typed" {
			serveTyped(ctx, conn, count)
		} else {
			serveBridge(ctx, conn, count)
		}
		return
	}

	health := healthpb.NewHealthClient(conn)
	checked, err := health.Check(ctx, &healthpb.HealthCheckRequest{Service: "kextbridge.v1.Bridge"})
	if err != nil {
		fail(err)
	}
	watch, err := health.Watch(ctx, &healthpb.HealthCheckRequest{Service: "grpc.health.v1.Health"})
	if err != nil {
		fail(err)
	}
	watched, err := watch.Recv()
	if err != nil {
		fail(err)
	}
	say(map[string]interface{}{"health": map[string]interface{}{"check": checked.Status.String(), "watch": watched.Status.String()}})

	services, err := listServices(ctx, conn)
	if err != nil {
		fail(err)
	}
	protos := map[string]*descriptorpb.FileDescriptorProto{}
	for _, s := range []string{"kextbridge.example.v1.Example", "kextbridge.v1.Bridge"} {
		if err := filesFor(ctx, conn, s, protos); err != nil {
			fail(err)
		}
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, f := range protos {
		set.File = append(set.File, f)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		fail(err)
	}
	echo, err := dynamicUnary(ctx, conn, files, "kextbridge.example.v1.Example", "Echo", func(m protoreflect.Message) {
		m.Set(m.Descriptor().Fields().ByName("data"), protoreflect.ValueOfBytes([]byte("dynamic")))
	})
	if err != nil {
		fail(err)
	}
	described, err := dynamicUnary(ctx, conn, files, "kextbridge.v1.Bridge", "Describe", func(protoreflect.Message) {})
	if err != nil {
		fail(err)
	}
	say(map[string]interface{}{"reflection": map[string]interface{}{
		"services":      services,
		"echo":          string(echo.Get(echo.Descriptor().Fields().ByName("data")).Bytes()),
		"kext_identity": described.Get(described.Descriptor().Fields().ByName("kext_identity")).String(),
	}})

	example := examplev1.NewExampleClient(conn)
	typed, err := example.Echo(ctx, &examplev1.EchoRequest{Data: []byte("typed")})
	if err != nil {
		fail(err)
	}
	streamCtx, stop := context.WithCancel(ctx)
	beats, err := example.WatchHeartbeat(streamCtx, &examplev1.WatchRequest{})
	if err != nil {
		fail(err)
	}
	if _, err := beats.Recv(); err != nil {
		fail(err)
	}
	stop()
	_, afterCancel := beats.Recv()
	// The exec topic is privileged and the test's policy grants it to no one.
	execs, err := example.WatchExec(ctx, &examplev1.WatchRequest{})
	if err != nil {
		fail(err)
	}
	_, denied := execs.Recv()
	say(map[string]interface{}{"typed": map[string]interface{}{"echo": string(typed.Data), "cancelled": status.Code(afterCancel).String(), "denied": status.Code(denied).String()}})

	unknown := conn.Invoke(ctx, "/kextbridge.v1.Bridge/NoSuchMethod", protoimpl.X.ProtoMessageV1Of(&examplev1.EchoRequest{}), protoimpl.X.ProtoMessageV1Of(&examplev1.EchoReply{}))
	short, cancelShort := context.WithTimeout(ctx, time.Nanosecond)
	defer cancelShort()
	time.Sleep(time.Millisecond)
	_, late := example.Echo(short, &examplev1.EchoRequest{})
	// A Call naming no command is a bad argument, refused before the kext.
	_, bad := kextbridgev1.NewBridgeClient(conn).Call(ctx, &kextbridgev1.CallRequest{})
	say(map[string]interface{}{"errors": map[string]interface{}{"unknownMethod": status.Code(unknown).String(), "badArgument": status.Code(bad).String(), "deadline": status.Code(late).String()}})
}
