// A C++ client on Debian's grpc++ (1.51) and protobuf, run by
// interop/cpp.test.ts as a plain user. Debian's libgrpc++ has no
// client-side reflection database, so ReflectionDatabase below is one: a
// protobuf DescriptorDatabase answering from grpc.reflection.v1 calls, under
// a DescriptorPool that then builds Echo and Bridge.Describe messages with
// DynamicMessageFactory. Prints one JSON line per check. `serve-typed N`
// and `serve-bridge N` answer N authorize_exec upcalls, through the typed
// Example.ServeAuthorizeExec and through the generic Bridge.Serve,
// allowing every path but /tmp/*.
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "example/v1/example.grpc.pb.h"
#include "kextbridge/v1/bridge.grpc.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "health/v1/health.grpc.pb.h"

namespace pb = google::protobuf;
namespace refl = grpc::reflection::v1;

class ReflectionDatabase : public pb::DescriptorDatabase {
 public:
  explicit ReflectionDatabase(std::shared_ptr<grpc::Channel> channel) : stub_(refl::ServerReflection::NewStub(channel)) {}

  bool FindFileByName(const std::string& name, pb::FileDescriptorProto* out) override {
    refl::ServerReflectionRequest req;
    req.set_file_by_filename(name);
    return Answer(req, name, out);
  }
  bool FindFileContainingSymbol(const std::string& symbol, pb::FileDescriptorProto* out) override {
    refl::ServerReflectionRequest req;
    req.set_file_containing_symbol(symbol);
    return Answer(req, "", out);
  }
  bool FindFileContainingExtension(const std::string& type, int number, pb::FileDescriptorProto* out) override {
    refl::ServerReflectionRequest req;
    req.mutable_file_containing_extension()->set_containing_type(type);
    req.mutable_file_containing_extension()->set_extension_number(number);
    return Answer(req, "", out);
  }

  std::vector<std::string> ListServices() {
    refl::ServerReflectionRequest req;
    req.set_list_services("*");
    std::vector<std::string> names;
    refl::ServerReflectionResponse resp;
    if (!Ask(req, &resp)) return names;
    for (const auto& s : resp.list_services_response().service()) names.push_back(s.name());
    return names;
  }

 private:
  bool Ask(const refl::ServerReflectionRequest& req, refl::ServerReflectionResponse* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auto stream = stub_->ServerReflectionInfo(&ctx);
    if (!stream->Write(req)) return false;
    stream->WritesDone();
    bool ok = stream->Read(resp);
    while (stream->Read(&discard_)) {}
    return stream->Finish().ok() && ok && !resp->has_error_response();
  }

  // The answer carries the file and its imports; the first is the one
  // asked for, the rest are kept for the pool's next questions.
  bool Answer(const refl::ServerReflectionRequest& req, const std::string& name, pb::FileDescriptorProto* out) {
    if (!name.empty() && cache_.FindFileByName(name, out)) return true;
    refl::ServerReflectionResponse resp;
    if (!Ask(req, &resp)) return false;
    const auto& files = resp.file_descriptor_response().file_descriptor_proto();
    if (files.empty()) return false;
    for (int i = 0; i < files.size(); ++i) {
      pb::FileDescriptorProto file;
      if (!file.ParseFromString(files[i])) return false;
      if (i == 0) *out = file;
      pb::FileDescriptorProto existing;
      if (!cache_.FindFileByName(file.name(), &existing)) cache_.Add(file);
    }
    return true;
  }

  std::unique_ptr<refl::ServerReflection::Stub> stub_;
  pb::SimpleDescriptorDatabase cache_;
  refl::ServerReflectionResponse discard_;
};

static grpc::Status CallDynamic(grpc::Channel* channel, const std::string& path, const pb::Message& req, pb::Message* rep) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return grpc::internal::BlockingUnaryCall<pb::Message, pb::Message>(
      channel, grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC), &ctx, req, rep);
}

static std::string Quote(const std::string& s) { return "\"" + s + "\""; }

namespace ex = kextbridge::example::v1;
namespace kb = kextbridge::v1;

static bool Allows(const std::string& path) { return path.rfind("/tmp/", 0) != 0; }

// Each ExecVerdict written answers the oldest ExecAuthorization read.
static int ServeTyped(std::shared_ptr<grpc::Channel> channel, int count) {
  auto stub = ex::Example::NewStub(channel);
  grpc::ClientContext ctx;
  auto stream = stub->ServeAuthorizeExec(&ctx);
  ex::ExecAuthorization q;
  for (int asked = 0; asked < count; ++asked) {
    if (!stream->Read(&q)) break;
    ex::ExecVerdict v;
    v.set_allow(Allows(q.path()));
    if (!stream->Write(v)) break;
    std::cout << "{\"asked\":" << Quote(q.path()) << "}" << std::endl;
  }
  stream->WritesDone();
  while (stream->Read(&q)) {}
  grpc::Status s = stream->Finish();
  return s.ok() || s.error_code() == grpc::StatusCode::CANCELLED ? 0 : 3;
}

// The same through Bridge.Serve: register by name, then each question's
// payload is an ExecAuthorization and each answer's an ExecVerdict.
static int ServeBridge(std::shared_ptr<grpc::Channel> channel, int count) {
  auto stub = kb::Bridge::NewStub(channel);
  grpc::ClientContext ctx;
  auto stream = stub->Serve(&ctx);
  kb::ServeRequest reg;
  reg.mutable_register_()->mutable_upcall()->set_name("authorize_exec");
  if (!stream->Write(reg)) return 3;
  kb::UpcallQuestion q;
  for (int asked = 0; asked < count; ++asked) {
    if (!stream->Read(&q)) break;
    ex::ExecAuthorization question;
    if (!question.ParseFromString(q.payload())) return 3;
    ex::ExecVerdict v;
    v.set_allow(Allows(question.path()));
    kb::ServeRequest answer;
    answer.mutable_answer()->set_id(q.id());
    answer.mutable_answer()->set_status(0);
    answer.mutable_answer()->set_payload(v.SerializeAsString());
    if (!stream->Write(answer)) break;
    std::cout << "{\"asked\":" << Quote(question.path()) << "}" << std::endl;
  }
  stream->WritesDone();
  while (stream->Read(&q)) {}
  grpc::Status s = stream->Finish();
  return s.ok() || s.error_code() == grpc::StatusCode::CANCELLED ? 0 : 3;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  auto channel = grpc::CreateChannel(std::string("unix://") + argv[1], grpc::InsecureChannelCredentials());
  if (argc > 3) {
    int count = std::stoi(argv[3]);
    return std::string(argv[2]) == "serve-typed" ? ServeTyped(channel, count) : ServeBridge(channel, count);
  }

  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest hreq;
  hreq.set_service("kextbridge.v1.Bridge");
  grpc::health::v1::HealthCheckResponse hrep;
  grpc::ClientContext hctx;
  grpc::Status hs = health->Check(&hctx, hreq, &hrep);
  grpc::ClientContext wctx;
  hreq.set_service("grpc.health.v1.Health");
  auto watch = health->Watch(&wctx, hreq);
  grpc::health::v1::HealthCheckResponse watched;
  bool got = watch->Read(&watched);
  wctx.TryCancel();
  watch->Finish();
  std::cout << "{\"health\":{\"check\":" << (hs.ok() ? Quote(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(hrep.status())) : Quote("error"))
            << ",\"watch\":" << (got ? Quote(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(watched.status())) : Quote("error")) << "}}" << std::endl;

  ReflectionDatabase db(channel);
  std::string services;
  for (const auto& s : db.ListServices()) services += (services.empty() ? "" : ",") + Quote(s);
  pb::DescriptorPool pool(&db);
  pb::DynamicMessageFactory factory(&pool);
  const pb::ServiceDescriptor* example = pool.FindServiceByName("kextbridge.example.v1.Example");
  const pb::ServiceDescriptor* bridge = pool.FindServiceByName("kextbridge.v1.Bridge");
  if (!example || !bridge) {
    std::cerr << "cpp-client: services not found through reflection" << std::endl;
    return 3;
  }
  const pb::MethodDescriptor* echo = example->FindMethodByName("Echo");
  std::unique_ptr<pb::Message> ereq(factory.GetPrototype(echo->input_type())->New());
  std::unique_ptr<pb::Message> erep(factory.GetPrototype(echo->output_type())->New());
  ereq->GetReflection()->SetString(ereq.get(), echo->input_type()->FindFieldByName("data"), "dynamic");
  grpc::Status es = CallDynamic(channel.get(), "/kextbridge.example.v1.Example/Echo", *ereq, erep.get());
  const pb::MethodDescriptor* describe = bridge->FindMethodByName("Describe");
  std::unique_ptr<pb::Message> dreq(factory.GetPrototype(describe->input_type())->New());
  std::unique_ptr<pb::Message> drep(factory.GetPrototype(describe->output_type())->New());
  grpc::Status ds = CallDynamic(channel.get(), "/kextbridge.v1.Bridge/Describe", *dreq, drep.get());
  if (!es.ok() || !ds.ok()) {
    std::cerr << "cpp-client: dynamic call failed: " << es.error_message() << ds.error_message() << std::endl;
    return 3;
  }
  std::cout << "{\"reflection\":{\"services\":[" << services << "],\"echo\":"
            << Quote(erep->GetReflection()->GetString(*erep, echo->output_type()->FindFieldByName("data")))
            << ",\"kext_identity\":" << Quote(drep->GetReflection()->GetString(*drep, describe->output_type()->FindFieldByName("kext_identity"))) << "}}"
            << std::endl;

  auto typed = kextbridge::example::v1::Example::NewStub(channel);
  kextbridge::example::v1::EchoRequest treq;
  treq.set_data("typed");
  kextbridge::example::v1::EchoReply trep;
  grpc::ClientContext tctx;
  grpc::Status ts = typed->Echo(&tctx, treq, &trep);
  grpc::ClientContext sctx;
  auto beats = typed->WatchHeartbeat(&sctx, kextbridge::example::v1::WatchRequest());
  kextbridge::example::v1::Heartbeat beat;
  bool beat_read = beats->Read(&beat);
  sctx.TryCancel();
  while (beats->Read(&beat)) {}
  grpc::Status cancelled = beats->Finish();
  grpc::ClientContext lctx;
  lctx.set_deadline(std::chrono::system_clock::now() - std::chrono::milliseconds(1));
  grpc::Status late = typed->Echo(&lctx, treq, &trep);
  // The exec topic is privileged and the test's policy grants it to no one.
  grpc::ClientContext xctx;
  auto execs = typed->WatchExec(&xctx, kextbridge::example::v1::WatchRequest());
  kextbridge::example::v1::ExecEvent exec_event;
  while (execs->Read(&exec_event)) {}
  grpc::Status denied = execs->Finish();
  std::cout << "{\"typed\":{\"echo\":" << Quote(ts.ok() ? trep.data() : "error") << ",\"heartbeat\":" << (beat_read ? "true" : "false")
            << ",\"cancelled\":" << cancelled.error_code() << ",\"deadline\":" << late.error_code() << ",\"denied\":" << denied.error_code() << "}}"
            << std::endl;

  // No such method; a Call naming no command (a bad argument, refused
  // before the kext).
  grpc::Status unknown = CallDynamic(channel.get(), "/kextbridge.v1.Bridge/NoSuchMethod", *dreq, drep.get());
  auto bridge_stub = kb::Bridge::NewStub(channel);
  grpc::ClientContext bctx;
  kb::CallResponse crep;
  grpc::Status bad = bridge_stub->Call(&bctx, kb::CallRequest(), &crep);
  std::cout << "{\"errors\":{\"unknownMethod\":" << unknown.error_code() << ",\"badArgument\":" << bad.error_code() << "}}" << std::endl;
  return 0;
}
