-- What the service learned about how Graph answers in this tenant, kept so that it is not learned again after a
-- restart (or by every instance): for example whether listing staged records honours $filter on importId.
CREATE TABLE graph_behaviour (
    name       VARCHAR(64)   PRIMARY KEY,
    learned    VARCHAR(64)   NOT NULL,  -- what Graph was seen to do
    learned_at TIMESTAMP WITH TIME ZONE NOT NULL,
    detail     VARCHAR(2000)
);
