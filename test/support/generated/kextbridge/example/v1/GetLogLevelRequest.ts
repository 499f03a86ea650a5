// Original file: proto/example/v1/example.proto


export interface GetLogLevelRequest {
}

export interface GetLogLevelRequest__Output {
}
