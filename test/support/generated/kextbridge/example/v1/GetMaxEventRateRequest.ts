// Original file: proto/example/v1/example.proto


export interface GetMaxEventRateRequest {
}

export interface GetMaxEventRateRequest__Output {
}
