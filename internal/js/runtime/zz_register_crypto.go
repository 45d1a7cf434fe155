package runtime

func init() { bindingTable["crypto"] = bindCrypto }
