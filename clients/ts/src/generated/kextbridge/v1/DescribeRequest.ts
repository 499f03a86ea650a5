// Original file: proto/kextbridge/v1/bridge.proto


export interface DescribeRequest {
}

export interface DescribeRequest__Output {
}
