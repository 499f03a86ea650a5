// Original file: proto/example/v1/example.proto


export interface WatchRequest {
}

export interface WatchRequest__Output {
}
