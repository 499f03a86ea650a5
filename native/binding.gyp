{
  "targets": [
    {
      "target_name": "kextbridge",
      "sources": ["src/addon.cc", "src/channel.cc", "src/socket_reader.cc", "src/limits.cc", "src/memory.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror"],
      "conditions": [
        ["OS=='linux'", { "sources": ["src/open_linux.cc", "src/peercred_linux.cc", "src/peerprogram_linux.cc"] }],
        ["OS=='mac'", {
          "sources": ["src/open_darwin.cc", "src/peercred_darwin.cc", "src/activation_darwin.cc", "src/kev_darwin.cc", "src/codesign_darwin.cc"],
          "link_settings": { "libraries": ["-framework Security", "-framework CoreFoundation"] },
          "xcode_settings": { "CLANG_CXX_LANGUAGE_STANDARD": "c++17", "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra", "-Werror"] }
        }]
      ]
    }
  ]
}
