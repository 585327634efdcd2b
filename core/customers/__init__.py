"""Customer records (客户档案): the people and organisations a site serves, changed through `service`."""
